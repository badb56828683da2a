package io.chorus.platform;

import org.mapstruct.MapperConfig;
import org.mapstruct.ReportingPolicy;

/** Every MapStruct mapper uses this: a target field nobody maps fails the build. */
@MapperConfig(componentModel = "spring", unmappedTargetPolicy = ReportingPolicy.ERROR)
public interface MappingConfig {
}

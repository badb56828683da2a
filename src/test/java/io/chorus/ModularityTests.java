package io.chorus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(ChorusApplication.class);

    /** Fails when a module reaches into another's internals or depends on one it does not declare. */
    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
        assertThat(modules.stream().map(module -> module.getIdentifier().toString()))
                .contains("identity", "platform", "chat");
    }

    /** Writes the module diagrams and canvases to target/spring-modulith-docs (described in docs/architecture.md). */
    @Test
    void writesModuleDocumentation() {
        new Documenter(modules).writeDocumentation();
        assertThat(new java.io.File("target/spring-modulith-docs/components.puml")).exists();
    }
}

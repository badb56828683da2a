package io.chorus.approval;

import java.util.List;
import java.util.Optional;

/** The fields a request of a template fills in, in display order. */
public record FormSchema(List<FormField> fields) {

    public FormSchema {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public Optional<FormField> field(String key) {
        return fields.stream().filter(field -> key != null && key.equals(field.key())).findFirst();
    }
}

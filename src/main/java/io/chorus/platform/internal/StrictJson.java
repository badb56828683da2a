package io.chorus.platform.internal;

import io.chorus.platform.UnacceptableTextException;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * JSON exactly as the contract types it, for REST bodies and STOMP frames alike (both read with
 * the application's one {@link JsonMapper}). Jackson's defaults coerce scalars: {@code 1} would
 * become an enum constant, {@code 123} a name, {@code "12"} and {@code 1.5} integers, {@code 2}
 * {@code true}, {@code ""} a null id and {@code 12345} a 1970 timestamp. Each is a wrong type
 * here, refused as {@code MALFORMED_REQUEST}. Every string read is also checked for text no
 * storage can keep ({@link UnacceptableTextException}).
 */
final class StrictJson implements JsonMapperBuilderCustomizer {

    @Override
    public void customize(JsonMapper.Builder builder) {
        builder.enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .withCoercionConfigDefaults(config -> config
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, config -> refuse(config,
                        CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Integer, config -> refuse(config,
                        CoercionInputShape.String, CoercionInputShape.Float, CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Float, config -> refuse(config,
                        CoercionInputShape.String, CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Boolean, config -> refuse(config,
                        CoercionInputShape.String, CoercionInputShape.Integer, CoercionInputShape.Float))
                .withCoercionConfig(LogicalType.Enum, config -> refuse(config,
                        CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean))
                .addModule(new SimpleModule("chorus-strict-json").setDeserializerModifier(new Checks()));
    }

    private static void refuse(MutableCoercionConfig config, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            config.setCoercion(shape, CoercionAction.Fail);
        }
        config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }

    /** Wraps the deserializers the coercion configuration cannot reach: text and timestamps. */
    private static final class Checks extends ValueDeserializerModifier {

        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription.Supplier description,
                ValueDeserializer<?> deserializer) {
            return switch (deserializer.logicalType()) {
                case Textual -> deserializer.handledType() == String.class ? new CheckedText(deserializer) : deserializer;
                case DateTime -> new TextualTimestamp(deserializer);
                case null, default -> deserializer;
            };
        }
    }

    /** A string holding text that storage could not keep as it came is refused before anything sees it. */
    private static final class CheckedText extends DelegatingDeserializer {

        CheckedText(ValueDeserializer<?> text) {
            super(text);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> text) {
            return new CheckedText(text);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            Object value = super.deserialize(parser, context);
            if (value instanceof String text) {
                String flaw = UnacceptableTextException.flawIn(text);
                if (flaw != null) {
                    throw new UnacceptableTextException(parser, flaw);
                }
            }
            return value;
        }
    }

    /** Timestamps are ISO-8601 strings in the contract; the java.time readers would take epoch numbers too. */
    private static final class TextualTimestamp extends DelegatingDeserializer {

        TextualTimestamp(ValueDeserializer<?> timestamp) {
            super(timestamp);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> timestamp) {
            return new TextualTimestamp(timestamp);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT || parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return context.handleUnexpectedToken(_delegatee.handledType(), parser);
            }
            return super.deserialize(parser, context);
        }
    }
}

package io.chorus.integration.internal;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Slash commands and card actions (see {@link CommandRegistry}).
 *
 * @param deadline how long a member waits for a bot's answer to a command or a card action
 *     before being told it did not come; the bot may still answer a command later
 * @param responseUrlLifetime how long a command's response URL stays valid
 * @param responseUrlUses how many answers one response URL takes
 * @param secretOverlap how long a rotated signing secret keeps signing beside its successor,
 *     so the bot can switch to the new one without refusing requests in between
 * @param maxCommandsPerBot how many commands one bot may register
 */
@Validated
@ConfigurationProperties("chorus.integration.commands")
record CommandProperties(@DefaultValue("3s") Duration deadline, @DefaultValue("30m") Duration responseUrlLifetime,
        @Min(1) @Max(100) @DefaultValue("5") int responseUrlUses, @DefaultValue("24h") Duration secretOverlap,
        @Min(1) @Max(1000) @DefaultValue("50") int maxCommandsPerBot) {
}

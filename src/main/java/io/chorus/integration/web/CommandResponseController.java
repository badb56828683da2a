package io.chorus.integration.web;

import io.chorus.integration.SlashCommands;
import io.chorus.integration.web.CommandBodies.ReplyBody;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A bot's later answer to a command, through the response URL it was given. Not bearer
 * authenticated: the URL's random token is the credential (stored hashed, short-lived, a few uses).
 * The body is read as the bot's synchronous answer is, so both obey the same rules and refusals
 * name what is wrong with the card or text.
 */
@RestController
@RequestMapping("/api/v1/command-responses")
class CommandResponseController {

    private final SlashCommands commands;

    CommandResponseController(SlashCommands commands) {
        this.commands = commands;
    }

    @PostMapping(path = "/{token}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ReplyBody respond(@PathVariable String token, @RequestBody byte[] answer) {
        return ReplyBody.of(commands.respond(token, answer));
    }
}

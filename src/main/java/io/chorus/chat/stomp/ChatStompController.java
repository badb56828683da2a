package io.chorus.chat.stomp;

import io.chorus.chat.Cards;
import io.chorus.chat.ConversationId;
import io.chorus.chat.Conversations;
import io.chorus.chat.Messages;
import io.chorus.chat.SendMessage;
import io.chorus.chat.SendResult;
import io.chorus.chat.internal.SendAdmission;
import io.chorus.chat.internal.SendRefused;
import io.chorus.identity.CurrentUser;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.DatabaseUnavailable;
import io.chorus.platform.ProblemCodes;
import io.chorus.platform.UnacceptableTextException;
import java.security.Principal;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.convert.ConversionException;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.handler.annotation.support.MethodArgumentTypeMismatchException;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Controller;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a client may SEND. Acknowledgements and errors go back to the sending session only;
 * everything else reaches members through {@link LiveFanout}.
 */
@Controller
class ChatStompController {

    private static final Logger log = LoggerFactory.getLogger(ChatStompController.class);

    static final String ACKS = "/queue/acks";

    private final Messages messages;
    private final Conversations conversations;
    private final Cards cards;
    private final JsonMapper json;
    private final SessionReplies replies;
    private final StompReceipts receipts;
    private final SendAdmission admission;

    ChatStompController(Messages messages, Conversations conversations, Cards cards, JsonMapper json,
            SessionReplies replies, StompReceipts receipts, SendAdmission admission) {
        this.messages = messages;
        this.conversations = conversations;
        this.cards = cards;
        this.json = json;
        this.replies = replies;
        this.receipts = receipts;
        this.admission = admission;
    }

    record SendMessageFrame(String clientMessageId, String text, Long replyToMessageId) {
    }

    /** {@code seq} is required: a missing one would otherwise read as 0 and silently do nothing. */
    record ReadFrame(Long seq) {
    }

    /**
     * Past capacity ({@link SendAdmission#admit(long, java.util.function.Supplier)}) the frame is
     * answered with OVERLOADED, unprocessed, instead of an ack long after: the client sends it
     * again with the same clientMessageId. Refusing here, as a handler, keeps the session's later
     * frames in their order like any other answer.
     */
    @MessageMapping("/conversations/{conversationId}/messages")
    void send(@DestinationVariable UUID conversationId, @Payload SendMessageFrame frame, Principal principal,
            @Header(SimpMessageHeaderAccessor.SESSION_ID_HEADER) String sessionId, Message<?> message) {
        CurrentUser me = CurrentUser.of(principal);
        SendResult result = admission.admit(FrameArrival.receivedAt(message), () -> messages.send(new SendMessage(
                ConversationId.of(conversationId), me.id(), frame.clientMessageId(), frame.text(),
                frame.replyToMessageId())));
        replies.send(sessionId, ACKS, new SendAck(result.message().clientMessageId(), conversationId,
                result.message().id(), result.message().seq(), result.message().createdAt(), result.duplicate()));
    }

    /** What the member typed for an action with an input; absent (or no body at all) for one without. */
    record CardActionFrame(String input) {
    }

    /**
     * Invokes a card's action; the card's poster handles it while this frame waits. Success is a
     * RECEIPT when the frame asked for one (there is no message to acknowledge); a refusal, by
     * chat or by the poster, is an error event like any other.
     */
    @MessageMapping("/conversations/{conversationId}/messages/{messageId}/actions/{actionId}")
    void act(@DestinationVariable UUID conversationId, @DestinationVariable long messageId,
            @DestinationVariable String actionId, @Payload(required = false) CardActionFrame frame,
            Principal principal, SimpMessageHeaderAccessor headers) {
        cards.invoke(CurrentUser.of(principal).id(), ConversationId.of(conversationId), messageId, actionId,
                frame == null ? null : frame.input());
        String receipt = headers.getFirstNativeHeader("receipt");
        if (receipt != null) {
            receipts.send(headers.getSessionId(), receipt);
        }
    }

    @MessageMapping("/conversations/{conversationId}/typing")
    void typing(@DestinationVariable UUID conversationId, Principal principal) {
        conversations.typing(CurrentUser.of(principal).id(), ConversationId.of(conversationId));
    }

    @MessageMapping("/conversations/{conversationId}/read")
    void read(@DestinationVariable UUID conversationId, @Payload ReadFrame frame, Principal principal) {
        if (frame.seq() == null) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "seq is required.");
        }
        conversations.markRead(CurrentUser.of(principal).id(), ConversationId.of(conversationId), frame.seq());
    }

    @MessageExceptionHandler
    void failed(Throwable failure, Message<?> message) {
        replies.send(SimpMessageHeaderAccessor.getSessionId(message.getHeaders()), StompErrorReplies.ERRORS,
                describe(failure, message));
    }

    private StompError describe(Throwable failure, Message<?> message) {
        String destination = SimpMessageHeaderAccessor.getDestination(message.getHeaders());
        String clientMessageId = StompErrorReplies.clientMessageIdOf(message, json);
        if (failure instanceof SendRefused refused) {
            return StompError.refused(refused, destination, clientMessageId);
        }
        if (failure instanceof ChorusProblem problem) {
            return new StompError(problem.code(), problem.status().value(), problem.getMessage(), destination,
                    clientMessageId);
        }
        if (failure instanceof MessageConversionException
                && NestedExceptionUtils.getMostSpecificCause(failure) instanceof UnacceptableTextException text) {
            return new StompError(ProblemCodes.VALIDATION_FAILED, 400, "A text field " + text.getOriginalMessage() + ".",
                    destination, clientMessageId);
        }
        if (failure instanceof MessageConversionException) {
            return new StompError(ProblemCodes.MALFORMED_REQUEST, 400,
                    "The frame body is not valid JSON for this destination.", destination, clientMessageId);
        }
        if (failure instanceof MethodArgumentNotValidException) {
            return new StompError(ProblemCodes.VALIDATION_FAILED, 400,
                    "The frame body is missing or invalid for this destination.", destination, clientMessageId);
        }
        if (failure instanceof MethodArgumentTypeMismatchException || failure instanceof ConversionException) {
            return new StompError(ProblemCodes.VALIDATION_FAILED, 400,
                    "The destination names an invalid conversation or message id.", destination, clientMessageId);
        }
        if (failure instanceof AccessDeniedException) {
            return new StompError(ProblemCodes.FORBIDDEN, 403, "You may not do this.", destination, clientMessageId);
        }
        if (DatabaseUnavailable.isCause(failure)) {
            // Nothing was stored: the client sends it again, with the same clientMessageId, once this passes.
            return new StompError(ProblemCodes.DATABASE_UNAVAILABLE, 503, DatabaseUnavailable.DETAIL, destination,
                    clientMessageId);
        }
        log.error("Unexpected failure handling {}", destination, failure);
        return new StompError(ProblemCodes.INTERNAL_ERROR, 500,
                "Something went wrong on our side; the frame was not processed.", destination, clientMessageId);
    }
}

package io.chorus.approval.internal;

import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import org.springframework.stereotype.Component;

/** The "Approvals" bot: the sender of approval cards, provisioned on first use. */
@Component
class ApprovalBot {

    static final String KEY = "approvals";

    private final UserAccounts accounts;
    private final ApprovalProperties properties;
    private volatile UserId id;

    ApprovalBot(UserAccounts accounts, ApprovalProperties properties) {
        this.accounts = accounts;
        this.properties = properties;
    }

    UserId id() {
        UserId known = id;
        if (known == null) {
            known = accounts.provisionBot(KEY, properties.botName());
            id = known;
        }
        return known;
    }
}

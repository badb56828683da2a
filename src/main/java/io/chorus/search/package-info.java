/**
 * Full-text message search: a query language parsed once, two engines behind one API
 * (PostgreSQL by default, Elasticsearch for scale), fed from chat events through a durable
 * queue so the index never silently falls behind, and filtered by live chat membership.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Search",
        allowedDependencies = {"identity", "chat", "platform"})
package io.chorus.search;

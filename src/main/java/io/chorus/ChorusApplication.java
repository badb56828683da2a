package io.chorus;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Modulithic(sharedModules = {"identity", "platform"})
public class ChorusApplication {

    /**
     * Tomcat's own WebSocket buffers (frame input, output and encoding; 8 KiB each per connection
     * by default) are sized by this system property, read once when Tomcat's WebSocket classes load.
     * An idle chat session needs a fraction of that, and a node holds tens of thousands; larger
     * frames pass in parts. The rest of a session's buffers follow {@code
     * chorus.chat.stomp.session-buffer-bytes}.
     */
    static final String TOMCAT_WEBSOCKET_BUFFER = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    public static void main(String[] args) {
        if (System.getProperty(TOMCAT_WEBSOCKET_BUFFER) == null) {
            System.setProperty(TOMCAT_WEBSOCKET_BUFFER, "512");
        }
        SpringApplication.run(ChorusApplication.class, args);
    }
}

package io.chorus.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import org.junit.jupiter.api.Test;

class CheckpointSignerTest {

    @Test
    void aConfiguredPrivateKeyGivesItsOwnPublicKey() throws Exception {
        KeyPair original = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        KeyPair loaded = CheckpointSigner.fromPkcs8(original.getPrivate().getEncoded());

        assertThat(loaded.getPublic().getEncoded()).isEqualTo(original.getPublic().getEncoded());
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(loaded.getPrivate());
        signer.update("head".getBytes(StandardCharsets.UTF_8));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(original.getPublic());
        verifier.update("head".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void aKeyThatIsNotEd25519IsRefusedAtStart() throws Exception {
        byte[] rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate().getEncoded();
        assertThatThrownBy(() -> CheckpointSigner.fromPkcs8(rsa)).hasMessageContaining("signing-key");
    }

    @Test
    void aTrustedPublicKeyThatIsNoKeyStopsTheStartNamingTheSetting() throws Exception {
        String signingKey = java.util.Base64.getEncoder().encodeToString(
                ed25519().getPrivate().getEncoded());
        AuditProperties properties = new AuditProperties(500, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofMillis(25), java.time.Duration.ofMinutes(1), 200, null,
                java.time.Duration.ofHours(1), new AuditProperties.Checkpoints(java.time.Duration.ofHours(1), signingKey,
                        java.util.List.of("bm90IGEga2V5")),
                new AuditProperties.Refusals(java.time.Duration.ofMinutes(1), 20, java.time.Duration.ofSeconds(10)));

        assertThatThrownBy(() -> new CheckpointSigner(properties, null, null, java.time.Clock.systemUTC()))
                .hasMessageContaining("CHORUS_AUDIT_TRUSTED_PUBLIC_KEYS").hasMessageContaining("bm90IGEga2V5");
    }

    private static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }
}

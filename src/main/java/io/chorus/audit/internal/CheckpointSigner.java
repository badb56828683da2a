package io.chorus.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signs the chain head with Ed25519 (the JDK's own implementation). The payload is plain text
 * so an outside party can check it with nothing but the public key, e.g. with openssl.
 */
@Component
public class CheckpointSigner {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSigner.class);

    private final KeyPair keys;
    private final String keyId;
    private final CheckpointStore.KeyOrigin origin;
    /** The public keys (X.509 DER, base64) whose checkpoints count; null with a generated key. */
    private final Set<String> trustedKeys;
    private final EntryStore entries;
    private final CheckpointStore checkpoints;
    private final Clock clock;

    CheckpointSigner(AuditProperties properties, EntryStore entries, CheckpointStore checkpoints, Clock clock) {
        String configured = properties.checkpoints().signingKey();
        if (configured == null || configured.isBlank()) {
            log.warn("No chorus.audit.checkpoints.signing-key is set: audit checkpoints are signed with a key "
                    + "generated now, which is lost at restart. Set one for production.");
            this.keys = generated();
            this.origin = CheckpointStore.KeyOrigin.GENERATED;
            this.trustedKeys = null;
        } else {
            this.keys = fromPkcs8(Base64.getDecoder().decode(configured.strip()));
            this.origin = CheckpointStore.KeyOrigin.CONFIGURED;
            Set<String> trusted = new HashSet<>();
            for (String listed : properties.checkpoints().trustedPublicKeys()) {
                if (!listed.isBlank()) {
                    trusted.add(Base64.getEncoder().encodeToString(publicKey(listed.strip())));
                }
            }
            int earlier = trusted.size();
            trusted.add(Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
            this.trustedKeys = Set.copyOf(trusted);
            // Public, and what the next rotation lists as trusted: worth a line at every start.
            log.info("Audit checkpoints are signed with key {} (public key {}); {} earlier key(s) trusted",
                    keyId(keys.getPublic().getEncoded()),
                    Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()), earlier);
        }
        this.keyId = keyId(keys.getPublic().getEncoded());
        this.entries = entries;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    /** The start of the SHA-256 of the public key, hex: short enough to name a key in a message. */
    static String keyId(byte[] publicKey) {
        return EntryHash.hex(EntryHash.sha256(publicKey)).substring(0, 16);
    }

    /** Signs the current head; with {@code onlyIfNew}, not when the last checkpoint already covers it. */
    @Transactional
    public Optional<CheckpointStore.Stored> checkpoint(boolean onlyIfNew) {
        EntryStore.Head head = entries.head();
        if (onlyIfNew && checkpoints.latest().map(last -> last.seq() == head.seq()).orElse(head.seq() == 0)) {
            return Optional.empty();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String payload = payload(head.seq(), EntryHash.hex(head.hash()), now);
        byte[] signature = sign(payload);
        return Optional.of(checkpoints.insert(head.seq(), head.hash(), now, payload, keyId,
                keys.getPublic().getEncoded(), signature, origin));
    }

    static String payload(long seq, String hashHex, Instant signedAt) {
        return "chorus-audit-checkpoint v1\nseq=" + seq + "\nhash=" + hashHex + "\nsignedAt=" + signedAt + "\n";
    }

    /** What a stored checkpoint is worth to verification. */
    enum Standing {
        /** Signed by the configured key or a trusted earlier one (or, with no key configured, by any). */
        TRUSTED,
        /**
         * Signed by a key generated at start (or before Chorus recorded the origin): checked for
         * consistency with the chain, but no evidence against whoever holds the database, and no
         * alarm either, so configuring a key after running without one is not a tamper report.
         * Believed only of checkpoints older than the first trusted one ({@link ChainVerifier}).
         */
        UNSIGNED,
        /** Signed by a configured key that is neither the current one nor trusted: a forgotten rotation, or a forgery. */
        UNTRUSTED_KEY,
        /** The signature does not verify, or the payload does not name the stored head: the row was changed. */
        INVALID
    }

    /**
     * With a configured key, a checkpoint counts only when that key or a trusted earlier one signed
     * it: whoever rewrites the chain cannot re-sign it with a key of their own and store that key
     * beside it. Without one, every valid signature counts alike, as there is nothing to prefer.
     */
    Standing standing(CheckpointStore.Stored checkpoint) {
        if (!verifies(checkpoint)) {
            return Standing.INVALID;
        }
        if (trustedKeys == null || trustedKeys.contains(Base64.getEncoder().encodeToString(checkpoint.publicKey()))) {
            return Standing.TRUSTED;
        }
        return checkpoint.keyOrigin() == CheckpointStore.KeyOrigin.CONFIGURED ? Standing.UNTRUSTED_KEY
                : Standing.UNSIGNED;
    }

    /** True when the stored signature is valid for the stored payload, and the payload names the stored head. */
    static boolean verifies(CheckpointStore.Stored checkpoint) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(checkpoint.publicKey()));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(checkpoint.payload().getBytes(StandardCharsets.UTF_8));
            return verifier.verify(checkpoint.signature()) && checkpoint.payload()
                    .equals(payload(checkpoint.seq(), EntryHash.hex(checkpoint.hash()), checkpoint.signedAt()));
        } catch (GeneralSecurityException | IllegalArgumentException invalid) {
            return false;
        }
    }

    /** A trusted public key as configured: base64 X.509 DER of an Ed25519 key, or the start stops here. */
    private static byte[] publicKey(String base64) {
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            return der;
        } catch (GeneralSecurityException | IllegalArgumentException invalid) {
            throw new IllegalStateException("chorus.audit.checkpoints.trusted-public-keys (CHORUS_AUDIT_TRUSTED_PUBLIC_KEYS) "
                    + "holds an entry that is not a base64 X.509 Ed25519 public key: '" + abbreviated(base64) + "'",
                    invalid);
        }
    }

    private static String abbreviated(String value) {
        return value.length() <= 24 ? value : value.substring(0, 24) + "...";
    }

    private byte[] sign(String payload) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(payload.getBytes(StandardCharsets.UTF_8));
            return signer.sign();
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("Ed25519 signing failed", impossible);
        }
    }

    private static KeyPair generated() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * The key pair of a PKCS#8 private key. A PKCS#8 file (as openssl writes it) need not carry
     * the public key, and the JDK cannot derive it directly; an Ed25519 key pair is a function of
     * its 32-byte seed, so generating from the seed gives the same private key and its public one.
     */
    static KeyPair fromPkcs8(byte[] der) {
        try {
            EdECPrivateKey privateKey = (EdECPrivateKey) KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
            byte[] seed = privateKey.getBytes().orElseThrow(() -> new IllegalStateException("no key bytes"));
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            KeyPair derived = generator.generateKeyPair();
            return new KeyPair(derived.getPublic(), privateKey);
        } catch (GeneralSecurityException | ClassCastException invalid) {
            throw new IllegalStateException("chorus.audit.checkpoints.signing-key is not a base64 PKCS#8 Ed25519 "
                    + "private key", invalid);
        }
    }
}

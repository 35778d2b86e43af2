package vap.console.auth;

import vap.core.config.ConfigException;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A PBKDF2-HMAC-SHA256 password hash as stored in the users file: {@code pbkdf2-sha256$iterations$salt$hash}
 * (salt and hash in unpadded base64). The iteration count travels with the hash, so it can be raised later
 * without invalidating the hashes already written.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
    public static final String SCHEME = "pbkdf2-sha256";
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    public PasswordHash {
        if (iterations < 10_000) {
            throw new ConfigException("password hash with " + iterations + " iterations: at least 10000 are required");
        }
        if (salt.length < 8 || hash.length != HASH_BITS / 8) {
            throw new ConfigException("password hash: salt of at least 8 bytes and a 32-byte hash are required");
        }
    }

    public static PasswordHash of(char[] password) {
        return of(password, DEFAULT_ITERATIONS);
    }

    public static PasswordHash of(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    public static PasswordHash parse(String encoded) {
        String[] p = encoded.trim().split("\\$");
        if (p.length != 4 || !p[0].equals(SCHEME)) {
            throw new ConfigException("password hash must look like " + SCHEME
                    + "$<iterations>$<salt>$<hash> (print one with `vap console hash-password`)");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return new PasswordHash(Integer.parseInt(p[1]), b64.decode(p[2]), b64.decode(p[3]));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("password hash is not valid: " + e.getMessage());
        }
    }

    /** Constant-time comparison, so the time taken says nothing about how much of the hash matched. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}

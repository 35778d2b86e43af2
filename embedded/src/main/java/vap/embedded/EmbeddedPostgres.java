package vap.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 17 server run from the Zonky binaries jar (no system install). Its data directory is
 * kept between starts: a second start finds the earlier tables and rows.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg) {
        this.pg = pg;
    }

    public static EmbeddedPostgres start(Path dataDir, int port) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dataDir.getParent());
            var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.toAbsolutePath())
                    .setCleanDataDirectory(false)
                    .setPort(FreePort.pick(port))
                    .start();
            log.info("PostgreSQL ready on port {} in {} ms, data in {}", pg.getPort(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), dataDir);
            return new EmbeddedPostgres(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return pg.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("stopping PostgreSQL", e);
        }
    }
}

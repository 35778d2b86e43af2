package vap.console;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vap.console.search.FaceSearch;
import vap.console.search.FaceSearch.Filter;
import vap.console.search.FaceSearch.Status;
import vap.console.search.FaceTable;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vap console bench}: fills a copy of the sightings table (its columns and indexes taken from the sinks'
 * own table with CREATE TABLE ... LIKE ... INCLUDING ALL, in schema console_bench) with a million rows and times
 * the console's search queries on it, with the indexes EXPLAIN says they use. A figure, not a test.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the console's search queries on a million sightings (needs a database where the sinks have run once).")
public final class ConsoleBenchCommand implements Callable<Integer> {
    @Option(names = "--jdbc-url", required = true, description = "e.g. jdbc:postgresql://127.0.0.1:5432/postgres")
    String url;
    @Option(names = "--user", defaultValue = "postgres")
    String user;
    @Option(names = "--password", defaultValue = "postgres")
    String password;
    @Option(names = "--rows", defaultValue = "1000000", description = "Sightings rows to fill.")
    int rows;
    @Option(names = "--runs", defaultValue = "30", description = "Timed runs of each query (after 3 warm-up runs).")
    int runs;
    @Option(names = "--keep", description = "Keep schema console_bench afterwards.")
    boolean keep;

    private static final Pattern INDEX = Pattern.compile("Index (?:Only )?Scan(?: Backward)? using (\\w+)|Bitmap Index Scan on (\\w+)|Seq Scan on (\\w+)");

    @Override
    public Integer call() throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select to_regclass('public.sightings') is not null")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    System.err.println("no sightings table in " + url + ": run the sinks once against this database "
                            + "(they create it), e.g. after `vap run` use `vap stack --postgres-port 5432`");
                    return 2;
                }
            }
            st.execute("drop schema if exists console_bench cascade");
            st.execute("create schema console_bench");
            st.execute("create table console_bench.sightings (like public.sightings including all)");
            long t0 = System.nanoTime();
            // 50 cameras, one face a second over the last rows/86400 days, one face in seven matched among 1000 people.
            st.execute("insert into console_bench.sightings (camera_id, frame_sequence, face_index, captured_at,"
                    + " recognized_at, box_x1, box_y1, box_x2, box_y2, detection_score, age, metric, matched,"
                    + " best_identity_id, best_score, candidates, embedding, crop_topic, crop_partition, crop_offset)"
                    + " select 'camera-' || (g % 50), g, 0, now() - g * interval '1 second', now() - g * interval '1 second',"
                    + " 10, 10, 90, 90, 0.99, 20 + g % 50, 'IP', g % 7 = 0,"
                    + " case when g % 7 = 0 then 'person-' || (g / 7 % 1000) end, case when g % 7 = 0 then 0.95 end,"
                    + " '[]'::jsonb, array_fill(0.1::real, array[128]), 'vap.faces', g % 4, g"
                    + " from generate_series(1, " + rows + ") g");
            st.execute("analyze console_bench.sightings");
            System.out.printf(Locale.ROOT, "filled %,d sightings rows in %.1f s (schema console_bench)%n", rows,
                    (System.nanoTime() - t0) / 1e9);
            // LIKE ... INCLUDING ALL names the copied indexes itself: show which columns each one covers.
            try (ResultSet rs = st.executeQuery("select indexname, indexdef from pg_indexes where schemaname = 'console_bench'")) {
                while (rs.next()) {
                    System.out.println("  index " + rs.getString(1) + ": " + rs.getString(2).replaceAll(".* USING ", ""));
                }
            }
            st.execute("set search_path to console_bench, public");
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Map<String, Filter> queries = new LinkedHashMap<>();
            queries.put("latest faces (no filter)", new Filter(null, null, null, null, Status.ALL, 200));
            queries.put("one camera, last hour", new Filter("camera-7", null, now.minus(Duration.ofHours(1)), null, Status.ALL, 200));
            queries.put("one camera, one day a week ago", new Filter("camera-7", null, now.minus(Duration.ofDays(7)),
                    now.minus(Duration.ofDays(6)), Status.ALL, 200));
            queries.put("one person, all time", new Filter(null, "person-42", null, null, Status.ALL, 200));
            queries.put("one person, one day", new Filter(null, "person-42", now.minus(Duration.ofDays(3)),
                    now.minus(Duration.ofDays(2)), Status.ALL, 200));
            queries.put("unknown faces, one day", new Filter(null, null, now.minus(Duration.ofDays(5)),
                    now.minus(Duration.ofDays(4)), Status.UNKNOWN, 200));
            queries.put("one camera, matched, all time", new Filter("camera-3", null, null, null, Status.MATCHED, 200));
            FaceSearch search = new FaceSearch(FaceTable.SIGHTINGS);
            System.out.printf("%-32s %-44s %6s %9s %9s %9s%n", "query", "plan (indexes)", "rows", "median ms", "p95 ms", "max ms");
            for (Map.Entry<String, Filter> q : queries.entrySet()) {
                FaceSearch.Query sql = search.query(q.getValue());
                String plan = plan(c, sql);
                int found = 0;
                double[] ms = new double[runs];
                for (int i = -3; i < runs; i++) {
                    long s = System.nanoTime();
                    found = search.find(c, q.getValue()).size();
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - s) / 1e6;
                    }
                }
                Arrays.sort(ms);
                System.out.printf(Locale.ROOT, "%-32s %-44s %6d %9.2f %9.2f %9.2f%n", q.getKey(), plan, found,
                        ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.95) - 1], ms[ms.length - 1]);
            }
            if (!keep) {
                st.execute("drop schema console_bench cascade");
            }
        }
        return 0;
    }

    /** The indexes (or sequential scans) of the plan PostgreSQL picks for exactly this query. */
    private static String plan(Connection c, FaceSearch.Query q) throws Exception {
        List<String> used = new ArrayList<>();
        try (PreparedStatement ps = new FaceSearch.Query("explain " + q.sql(), q.params()).prepare(c);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Matcher m = INDEX.matcher(rs.getString(1));
                while (m.find()) {
                    used.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : "SEQ SCAN " + m.group(3));
                }
            }
        }
        return String.join(", ", used);
    }
}

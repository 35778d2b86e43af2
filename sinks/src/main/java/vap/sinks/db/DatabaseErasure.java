package vap.sinks.db;

import vap.core.config.Settings;
import vap.core.erase.ErasureStep;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vap erase}'s database part: in one transaction, every row that names the person: their alerts and
 * matches, the sightings whose best candidate they were, and their rows in any other table of this schema with an
 * {@code identity_id} column (appearances, when that table exists). Sightings where they were only a lower
 * candidate keep the row (it is a stranger's face) but lose the person from the candidate list.
 */
public final class DatabaseErasure implements ErasureStep {
    private static final List<String> KNOWN = List.of("alerts", "matches");

    @Override
    public String place() {
        return "database";
    }

    @Override
    public boolean configured(Settings settings) {
        return settings.has("sinks.jdbc.url");
    }

    @Override
    public Map<String, Long> erase(Settings settings, String identityId) throws SQLException {
        Database db = new Database(settings.required("sinks.jdbc.url"), settings.string("sinks.jdbc.user", "postgres"),
                settings.string("sinks.jdbc.password", ""));
        Map<String, Long> removed = new LinkedHashMap<>();
        try (Connection c = db.connect()) {
            for (String table : tablesWithIdentity(c)) {
                removed.put(table, delete(c, "delete from " + table + " where identity_id = ?", identityId));
            }
            removed.put("sightings", delete(c, "delete from sightings where best_identity_id = ?", identityId));
            removed.put("sightings (candidate lists)", delete(c, """
                    update sightings set candidates = coalesce((select jsonb_agg(x) from jsonb_array_elements(candidates) x
                        where x->>'identityId' is distinct from ?), '[]'::jsonb)
                    where candidates @> jsonb_build_array(jsonb_build_object('identityId', ?::text))""",
                    identityId, identityId));
            c.commit();
        }
        return removed;
    }

    /** alerts, matches, and whatever later migrations add with an identity_id column (e.g. appearances). */
    private static List<String> tablesWithIdentity(Connection c) throws SQLException {
        List<String> out = new java.util.ArrayList<>(KNOWN);
        try (PreparedStatement ps = c.prepareStatement("select table_name from information_schema.columns "
                + "where table_schema = current_schema() and column_name = 'identity_id' order by table_name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String t = rs.getString(1);
                if (!out.contains(t)) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static long delete(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}

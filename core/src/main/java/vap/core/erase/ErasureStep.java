package vap.core.erase;

import vap.core.config.Settings;

import java.util.Map;

/**
 * One more place {@code vap erase} removes a person from, contributed by the module that owns it (the sinks'
 * database) and found through {@code META-INF/services/vap.core.erase.ErasureStep}, so the command needs no
 * dependency on that module.
 */
public interface ErasureStep {
    /** "database", for the command's report. */
    String place();

    /** Whether the settings say where this place is; a step that is not configured is reported, never skipped silently. */
    boolean configured(Settings settings);

    /** Removes everything of {@code identityId}; returns what was removed, by kind (e.g. table -> rows). */
    Map<String, Long> erase(Settings settings, String identityId) throws Exception;
}

package vap.detector.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.service.ServiceRunner;
import vap.detector.service.DetectorService;

/** {@code vap detector}: the detector service alone, against a running cluster. */
@Command(name = "detector", mixinStandardHelpOptions = true,
        description = "Run the detector service: frames topic in, one face-crop record per face out.")
public final class DetectorCommand implements VapCommand {
    @Mixin
    ServiceOptions options = new ServiceOptions();

    @Override
    public Integer call() throws Exception {
        return ServiceRunner.of("detector").run(options.settings(), DetectorService::start);
    }
}

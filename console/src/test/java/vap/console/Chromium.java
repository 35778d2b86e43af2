package vap.console;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Debian's headless Chromium driven through its chromedriver: the browser set-up the console's browser tests share. */
final class Chromium {
    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final String MISSING = "Debian's chromium and chromium-driver are not installed (./vap setup installs them): browser test skipped";

    private Chromium() {
    }

    static boolean installed() {
        return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
    }

    /** A fresh headless browser with its own profile under {@code work}, 1200x900 (the screenshots' size). */
    static WebDriver start(Path work) throws IOException {
        ChromeOptions options = new ChromeOptions().setBinary(BINARY.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1200,900", "--user-data-dir=" + Files.createTempDirectory(work, "chromium"));
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
    }
}

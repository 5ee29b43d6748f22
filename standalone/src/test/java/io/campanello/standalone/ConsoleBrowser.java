package io.campanello.standalone;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium, driven through Debian's chromium-driver, looking at the console. Waits with Awaitility;
 * screenshots go to {@code campanello.console.screenshots} (a directory; default target/console-screenshots).
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ChromeDriver driver;
    private final String console;
    private final Path screenshots;

    ConsoleBrowser(String console, Path profile) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // What works on this kind of machine: no sandbox (root), no GPU, and no calls to Google's services.
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 860));
        this.console = console;
        this.screenshots = Path.of(System.getProperty("campanello.console.screenshots", "target/console-screenshots"));
        Files.createDirectories(screenshots);
    }

    void open(String hash) {
        driver.get(console + "/#" + hash);
    }

    /** Waits for the element to be there and shown, then returns it. */
    WebElement find(String css) {
        return await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> driver.findElement(By.cssSelector(css)), WebElement::isDisplayed);
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the element's text contains the text. */
    WebElement findWithText(String css, String text) {
        return await().atMost(WAIT)
                .ignoreExceptions()
                .until(
                        () -> driver.findElement(By.cssSelector(css)),
                        e -> e.getText().contains(text));
    }

    void type(String css, String text) {
        WebElement input = find(css);
        input.clear();
        input.sendKeys(text);
    }

    /** A screenshot with the element scrolled to the top of the window. */
    void screenshot(String name, String css) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView(true)", find(css));
        screenshot(name);
    }

    void screenshot(String name) {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An attribute of the element, read again if the page re-rendered the element meanwhile (polling pages do). */
    String attribute(String css, String name) {
        return read(css, element -> element.getDomAttribute(name));
    }

    String property(String css, String name) {
        return read(css, element -> element.getDomProperty(name));
    }

    String text(String css) {
        return read(css, WebElement::getText);
    }

    private String read(String css, Function<WebElement, String> reading) {
        return await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> Optional.ofNullable(reading.apply(find(css))), read -> true)
                .orElse(null);
    }

    void refresh() {
        driver.navigate().refresh();
    }

    @Override
    public void close() {
        driver.quit();
    }
}

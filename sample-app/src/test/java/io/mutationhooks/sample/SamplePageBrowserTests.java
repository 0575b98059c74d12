package io.mutationhooks.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's page in headless Chromium, as a person uses it: upload an avatar, create a user, see the image,
 * delete the user and watch the avatar leave the bucket; errors appear on the page. Runs only with {@code -Pbrowser}
 * and needs the Debian packages chromium and chromium-driver; without them it fails, it is never skipped.
 */
@Tag("browser")
class SamplePageBrowserTests extends AbstractSampleAppIntegrationTests {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	static ChromeDriverService driverService;

	static WebDriver browser;

	WebDriverWait wait;

	@BeforeAll
	static void startChromium(@TempDir Path profile) throws IOException {
		for (Path executable : new Path[] { CHROMIUM, CHROMEDRIVER }) {
			assertThat(Files.isExecutable(executable))
				.withFailMessage("The browser tests need %s: install the Debian packages chromium and chromium-driver "
						+ "(apt-get install -y chromium chromium-driver)", executable)
				.isTrue();
		}
		// Drivers come from the system, never from Selenium Manager's downloads.
		driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		driverService.start();
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-quic", "--user-data-dir=" + Files.createDirectories(profile.resolve("chromium")));
		browser = new ChromeDriver(driverService, options);
	}

	@AfterAll
	static void stopChromium() {
		if (browser != null) {
			browser.quit();
		}
		if (driverService != null) {
			driverService.stop();
		}
	}

	@BeforeEach
	void openThePage() {
		this.wait = new WebDriverWait(browser, Duration.ofSeconds(10));
		browser.get(uri("/").toString());
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("bucket-empty")));
	}

	@Test
	void aPersonUploadsAnAvatarCreatesAUserSeesTheImageAndDeletesTheUser(@TempDir Path files) throws IOException {
		File image = Files.write(files.resolve("a8m.png"), PNG).toFile();

		element("avatar-file").sendKeys(image.getAbsolutePath());
		assertThat(element("avatar-key").getDomProperty("value")).isEqualTo("a8m.png");
		element("upload-button").click();
		this.wait.until(ExpectedConditions.textToBe(By.id("status"), "Uploaded a8m.png."));
		this.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#bucket-listing li"), 1));
		assertThat(element("bucket-listing").getText()).isEqualTo("a8m.png");

		element("user-name").sendKeys("a8m");
		assertThat(element("user-avatar").getDomProperty("value")).isEqualTo("a8m.png");
		element("create-button").click();
		WebElement user = this.wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#users li.user")));
		assertThat(user.findElement(By.className("name")).getText()).isEqualTo("a8m");
		WebElement avatar = user.findElement(By.tagName("img"));
		this.wait.until(browser -> (Boolean) ((JavascriptExecutor) browser)
			.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", avatar));
		assertThat(element("error").isDisplayed()).isFalse();

		user.findElement(By.className("delete-user")).click();
		this.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#users li.user"), 0));
		this.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#bucket-listing li"), 0));
		assertThat(element("bucket-empty").isDisplayed()).isTrue();
		assertThat(element("users-empty").isDisplayed()).isTrue();
		assertThat(get("/avatars").body()).isEqualTo("[]");
	}

	@Test
	void creatingAUserWhoseAvatarIsMissingShowsWhyOnThePage() {
		element("user-name").sendKeys("a8m");
		element("user-avatar").sendKeys("a8m.png");
		element("create-button").click();

		WebElement error = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
		assertThat(error.getText())
			.isEqualTo("CREATE of User failed in hook 's3SyncHook': avatarUrl refers to s3://avatars/a8m.png, which "
					+ "does not exist");
		assertThat(browser.findElements(By.cssSelector("#users li.user"))).isEmpty();
		assertThat(userCount()).isZero();
	}

	private WebElement element(String id) {
		return browser.findElement(By.id(id));
	}

}

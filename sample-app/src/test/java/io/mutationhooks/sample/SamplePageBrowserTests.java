package io.mutationhooks.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

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
import org.springframework.beans.factory.annotation.Autowired;

import io.mutationhooks.sample.s3.EmbeddedS3Server;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's page in headless Chromium, as a person uses it: upload an avatar, create a user, see the image,
 * delete the user and watch the avatar leave the bucket; errors appear on the page. Its panel shows what the
 * {@code mutationhooks} actuator endpoint says: the hooks around a write of {@code User} in running order, the
 * effect backlog as it changes, and the report of a dry-run sweep. Runs only with {@code -Pbrowser} and needs the
 * Debian packages chromium and chromium-driver; without them it fails, it is never skipped.
 */
@Tag("browser")
class SamplePageBrowserTests extends AbstractSampleAppIntegrationTests {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	static final String DELETE_EFFECT = "mutation-hooks.s3-delete";

	static ChromeDriverService driverService;

	static WebDriver browser;

	@Autowired
	EmbeddedS3Server embeddedS3;

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

	@Test
	@SuppressWarnings("unchecked")
	void thePanelListsTheHooksAroundAWriteOfUserInTheOrderTheEndpointReports() {
		List<Object> reported = (List<Object>) json(get("/actuator/mutationhooks"),
				"$.entities['io.mutationhooks.sample.users.User'].hooks[*].name");

		List<WebElement> hooks = this.wait
			.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#hook-chain li.hook"), 0));

		assertThat(hooks).extracting(hook -> hook.findElement(By.className("hook-name")).getText())
			.containsExactly("mutationLoggingHook", "usersAreImmutable", "s3SyncHook")
			.isEqualTo(reported);
		assertThat(hooks).extracting(hook -> hook.findElement(By.className("hook-scope")).getText())
			.containsExactly("global", "entity", "entity");
		assertThat(hooks).extracting(hook -> hook.findElement(By.className("hook-order")).getText())
			.containsExactly("order: highest precedence", "no order", "order: lowest precedence");
		assertThat(hooks.get(1).findElement(By.className("hook-description")).getText())
			.isEqualTo("forEntity(User, on(UPDATE_ONE|UPDATE, UserHooks lambda))");
		assertThat(element("hook-chain-empty").isDisplayed()).isFalse();
	}

	@Test
	void deletingAUserWhileS3IsAwayShowsItsAvatarsDeleteWaitInTheBacklogAndLeaveOnceS3IsBack() {
		put("/avatars/a8m.png", PNG, "image/png");
		createUser("a8m", "a8m.png");
		browser.navigate().refresh();
		WebElement user = this.wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#users li.user")));
		// The previous test's delete may still be leaving the backlog when the page loads.
		this.wait.until(browser -> "empty".equals(lastBacklog()));
		int seenBefore = backlogLog().size();

		this.embeddedS3.stop();
		try {
			user.findElement(By.className("delete-user")).click();

			this.wait.until(ExpectedConditions.textToBe(By.id("backlog-retrying"), "1"));
			assertThat(effectsInTheBacklog()).containsExactly(DELETE_EFFECT);
			// One read of the log: the panel may add to it between two reads.
			List<String> logWhileAway = backlogLog();
			assertThat(logWhileAway.subList(seenBefore, logWhileAway.size())).contains(DELETE_EFFECT + ": 1 retrying");
			assertThat(element("backlog-oldest").getText()).endsWith(" s ago");
		}
		finally {
			this.embeddedS3.start();
		}

		new WebDriverWait(browser, Duration.ofSeconds(20))
			.until(ExpectedConditions.textToBe(By.id("backlog-retrying"), "0"));
		this.wait.until(browser -> "empty".equals(lastBacklog()));
		assertThat(browser.findElements(By.cssSelector("#backlog-effects tr"))).isEmpty();
		List<String> log = backlogLog();
		assertThat(log.subList(seenBefore, log.size() - 1)).isNotEmpty()
			.allMatch(change -> change.startsWith(DELETE_EFFECT + ": 1 "));
		assertThat(get("/avatars").body()).isEqualTo("[]");
	}

	@Test
	void theSweepButtonRunsADryRunAndShowsItsReport() {
		uploadAUsersAvatarAndAStrayOne();

		element("sweep-button").click();

		// Only the report of a sweep run from the page starts so; one shown at load starts with "Last sweep".
		this.wait.until(ExpectedConditions.textMatches(By.id("sweep-summary"), Pattern.compile("^Sweep of bucket")));
		assertThat(element("sweep-report").isDisplayed()).isTrue();
		assertThat(element("sweep-empty").isDisplayed()).isFalse();
		assertThat(element("sweep-summary").getText())
			.startsWith("Sweep of bucket avatars (avatars, dry-run) done in ")
			.endsWith(": scanned 2, referenced 1, young 0, orphans (not deleted: dry run) 1 (" + PNG.length
					+ " bytes), failed 0");
		assertThat(element("sweep-mode").getText()).isEqualTo("dry-run");
		assertThat(element("sweep-scanned").getText()).as("both uploads").isEqualTo("2");
		assertThat(element("sweep-referenced").getText()).as("the user's avatar").isEqualTo("1");
		assertThat(element("sweep-young").getText()).isEqualTo("0");
		assertThat(element("sweep-orphans").getText()).as("stray.png, past the grace period").isEqualTo("1");
		assertThat(element("sweep-failed").getText()).isEqualTo("0");
		assertThat(element("error").isDisplayed()).isFalse();
		assertThat(get("/avatars").body()).as("a dry run takes nothing").isEqualTo("[\"a8m.png\",\"stray.png\"]");
	}

	/**
	 * The backlogs the panel saw, oldest first, without their times: read in the page at once, since the panel adds
	 * to the log (and drops its oldest entries) as it polls.
	 */
	private List<String> backlogLog() {
		return inThePage("#backlog-log li.backlog-change", "backlog");
	}

	/** The effects of the backlog table's rows, read in the page at once: the panel redraws the rows at every poll. */
	private List<String> effectsInTheBacklog() {
		return inThePage("#backlog-effects tr.backlog-effect", "effect");
	}

	/** The {@code data-*} attribute {@code name} of the elements {@code selector} finds, read by one script. */
	@SuppressWarnings("unchecked")
	private static List<String> inThePage(String selector, String name) {
		return (List<String>) ((JavascriptExecutor) browser).executeScript(
				"return [...document.querySelectorAll(arguments[0])].map(element => element.dataset[arguments[1]])",
				selector, name);
	}

	private String lastBacklog() {
		List<String> log = backlogLog();
		return log.isEmpty() ? null : log.get(log.size() - 1);
	}

	private WebElement element(String id) {
		return browser.findElement(By.id(id));
	}

}

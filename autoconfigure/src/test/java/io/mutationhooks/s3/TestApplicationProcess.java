package io.mutationhooks.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.mutationhooks.testapp.Member;
import io.mutationhooks.testapp.MemberRepository;
import io.mutationhooks.testapp.TestApplication;

import static org.awaitility.Awaitility.await;

/**
 * The test application in a JVM of its own, for tests that kill it as a crash would: started on the test class path
 * with the properties given, its output in a file under {@code target/}. Run as a main class, it starts the test
 * application and, given {@value #DELETE_MEMBERS}, deletes once ready the members whose avatars are under that
 * prefix, one transaction each, as users deleting themselves would, and says so on its output; given
 * {@value FaultRunWorkload#SEED}, it runs the writes of the randomized fault run ({@link FaultRunWorkload}).
 */
public final class TestApplicationProcess implements AutoCloseable {

	/** The property naming the prefix of the avatars whose members the process deletes once ready. */
	public static final String DELETE_MEMBERS = "test.delete-members-with-avatars-under";

	private final Process process;

	private final Path output;

	private TestApplicationProcess(Process process, Path output) {
		this.process = process;
		this.output = output;
	}

	public static void main(String[] args) {
		SpringApplication.run(new Class<?>[] { TestApplication.class, MemberDeletions.class, FaultRunWorkload.class },
				args);
	}

	/**
	 * Starts the test application in a new JVM, on the test database this JVM runs against.
	 * @param output the file its standard output and error go to
	 * @param properties Spring properties, passed as command line arguments
	 */
	static TestApplicationProcess start(Path output, Map<String, String> properties) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				"-Dmutation-hooks.test.database=" + System.getProperty("mutation-hooks.test.database", "h2"), "-cp",
				System.getProperty("java.class.path"), TestApplicationProcess.class.getName()));
		properties.forEach((name, value) -> command.add("--" + name + "=" + value));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile());
		// The application's S3 client has its region and credentials from properties; nothing else may look further.
		builder.environment().put("AWS_REGION", "us-east-1");
		builder.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
		builder.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
		builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
		try {
			Files.createDirectories(output.getParent());
			return new TestApplicationProcess(builder.start(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the test application, see " + output, ex);
		}
	}

	/** Waits until the output holds {@code text}, failing at once if the process ends first. */
	void awaitOutput(String text, Duration atMost) {
		await().atMost(atMost).until(() -> {
			if (output().contains(text)) {
				return true;
			}
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The test application ended with " + this.process.exitValue()
						+ " before saying '" + text + "', see " + this.output);
			}
			return false;
		});
	}

	/** Its output so far. */
	String output() {
		try {
			return Files.readString(this.output, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Kills it with SIGKILL: nothing of it runs after this, no shutdown hook, no finally block. */
	void kill() {
		this.process.destroyForcibly();
		awaitExit();
	}

	/** Stops it as an operator would, with SIGTERM, so that it shuts down in order. */
	void stop() {
		this.process.destroy();
		awaitExit();
	}

	private void awaitExit() {
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
	}

	/** Deletes, once the application is ready, the members whose avatars are under {@value #DELETE_MEMBERS}. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(DELETE_MEMBERS)
	static class MemberDeletions {

		@Bean
		ApplicationListener<ApplicationReadyEvent> memberDeletions(MemberRepository members, Environment environment) {
			return ready -> {
				String prefix = environment.getRequiredProperty(DELETE_MEMBERS);
				List<Member> deleted = members.findAll()
					.stream()
					.filter(member -> member.getAvatarUrl().startsWith(prefix))
					.toList();
				deleted.forEach(members::delete);
				System.out.println(deletedMembers(deleted.size(), prefix));
			};
		}

	}

	/** What the process says once it has deleted members. */
	static String deletedMembers(int count, String prefix) {
		return "Deleted " + count + " member(s) with avatars under " + prefix;
	}

}

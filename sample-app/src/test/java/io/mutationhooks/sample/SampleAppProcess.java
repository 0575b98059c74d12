package io.mutationhooks.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The sample app in a JVM of its own, started on the test class path with the properties given and on a free port,
 * its output in a file; it can be killed as a crash would.
 */
final class SampleAppProcess implements AutoCloseable {

	/** What {@link PageAddressLogger} says once the app takes requests. */
	private static final Pattern READY = Pattern.compile("The sample is ready: open http://localhost:(\\d+)/");

	private final Process process;

	private final Path output;

	private String port;

	private SampleAppProcess(Process process, Path output) {
		this.process = process;
		this.output = output;
	}

	/**
	 * Starts the sample and waits until it takes requests.
	 * @param output the file its standard output and error go to
	 * @param properties Spring properties, passed as command line arguments
	 */
	static SampleAppProcess startAndAwaitReady(Path output, Map<String, String> properties) {
		return startAndAwaitReady(output, properties, List.of());
	}

	/**
	 * Starts the sample with JVM options and waits until it takes requests.
	 * @param output the file its standard output and error go to
	 * @param properties Spring properties, passed as command line arguments
	 * @param jvmOptions options of its JVM, such as {@code -Dspring.aot.enabled=true}
	 */
	static SampleAppProcess startAndAwaitReady(Path output, Map<String, String> properties, List<String> jvmOptions) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), SampleApplication.class.getName(),
				"--server.port=0", "--server.address=127.0.0.1"));
		properties.forEach((name, value) -> command.add("--" + name + "=" + value));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		// Its S3 client has region and credentials from properties; nothing may look further, for EC2's metadata say.
		builder.environment().put("AWS_REGION", "us-east-1");
		builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
		SampleAppProcess app;
		try {
			Files.createDirectories(output.getParent());
			app = new SampleAppProcess(builder.start(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the sample, see " + output, ex);
		}
		app.awaitReady();
		return app;
	}

	private void awaitReady() {
		this.port = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"The sample ended with " + this.process.exitValue() + " before it was ready, see " + this.output);
			}
			return announcedPort();
		}, Optional::isPresent).orElseThrow();
	}

	/** The port it said it took requests on, once it did. */
	private Optional<String> announcedPort() throws IOException {
		// Read as Latin-1: a line half written is no error then.
		try (Stream<String> lines = Files.lines(this.output, StandardCharsets.ISO_8859_1)) {
			return lines.map(READY::matcher).filter(Matcher::find).map(ready -> ready.group(1)).findFirst();
		}
	}

	/** What it wrote so far. */
	String output() throws IOException {
		return Files.readString(this.output, StandardCharsets.ISO_8859_1);
	}

	/** The address of one of its pages, such as {@code /users}. */
	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	/** Kills it with SIGKILL, as a crash or the kernel's OOM killer would, and waits until it is gone. */
	void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
	}

}

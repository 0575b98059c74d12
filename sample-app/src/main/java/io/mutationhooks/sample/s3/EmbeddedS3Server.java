package io.mutationhooks.sample.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * An S3-compatible server (S3Proxy with its filesystem backend) on 127.0.0.1 that keeps buckets and objects in a
 * directory, so they outlive a restart of the app.
 */
public class EmbeddedS3Server {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedS3Server.class);

	private final Path dataDir;

	private final String accessKey;

	private final String secretKey;

	private int port;

	private BlobStore store;

	private S3Proxy proxy;

	/**
	 * @param properties where and how to serve
	 */
	public EmbeddedS3Server(EmbeddedS3Properties properties) {
		Assert.isTrue(StringUtils.hasText(properties.accessKey()), "sample.embedded-s3.access-key must be set");
		Assert.isTrue(StringUtils.hasText(properties.secretKey()), "sample.embedded-s3.secret-key must be set");
		Assert.isTrue(StringUtils.hasText(properties.dataDir()), "sample.embedded-s3.data-dir must be set");
		this.dataDir = Path.of(properties.dataDir()).toAbsolutePath().normalize();
		this.accessKey = properties.accessKey();
		this.secretKey = properties.secretKey();
		this.port = properties.port();
	}

	/** Starts the server; after a {@link #stop()} it starts again on the port it had, so clients keep working. */
	public synchronized void start() {
		if (this.proxy != null) {
			return;
		}
		BlobStore store = new FilesystemNio2BlobStore(createdDataDir().toString());
		S3Proxy proxy = S3Proxy.builder()
			.blobStore(store)
			.endpoint(URI.create("http://127.0.0.1:" + this.port))
			.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, this.accessKey, this.secretKey)
			// The app's own S3 client keeps connections open: waiting for them would hold every shutdown for 30 s.
			.stopTimeout(0)
			.build();
		try {
			proxy.start();
		}
		catch (Exception ex) {
			throw new IllegalStateException("The embedded S3 server could not start on 127.0.0.1:" + this.port
					+ " (set sample.embedded-s3.port to a free port, or 0 for any): " + ex, ex);
		}
		this.port = proxy.getPort();
		this.store = store;
		this.proxy = proxy;
		logger.info("Embedded S3 server (S3Proxy) listening on {}, storing objects in {}", endpoint(), this.dataDir);
	}

	/** Creates the buckets that are not there yet. */
	public synchronized void createBuckets(Collection<String> names) {
		Assert.state(this.store != null, "The embedded S3 server has not started");
		for (String name : names) {
			if (!this.store.containerExists(name)) {
				this.store.createContainer(name);
				logger.info("Embedded S3 server created bucket '{}'", name);
			}
		}
	}

	/** Stops the server; requests fail until it is started again. */
	public synchronized void stop() {
		if (this.proxy == null) {
			return;
		}
		try {
			this.proxy.stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException("The embedded S3 server did not stop", ex);
		}
		this.proxy = null;
		this.store = null;
	}

	/** Where clients send requests: {@code http://127.0.0.1:<port>}, with the port really bound. */
	public URI endpoint() {
		Assert.state(this.port != 0, "The embedded S3 server has not started");
		return URI.create("http://127.0.0.1:" + this.port);
	}

	private Path createdDataDir() {
		try {
			return Files.createDirectories(this.dataDir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create sample.embedded-s3.data-dir " + this.dataDir, ex);
		}
	}

}

package io.mutationhooks.s3;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * An in-process S3 server (S3Proxy, in-memory backend) on a free loopback port, shared by the tests of one JVM so
 * that cached Spring contexts keep a live endpoint. It can be stopped and started again on the same port, keeping
 * its objects, to play an S3 outage.
 */
public final class S3ProxyServer {

	public static final String ACCESS_KEY = "s3proxy-access";

	public static final String SECRET_KEY = "s3proxy-secret";

	private static S3ProxyServer shared;

	private final BlobStore blobStore;

	private S3Proxy proxy;

	private int port;

	private S3ProxyServer(BlobStore blobStore) {
		this.blobStore = blobStore;
	}

	/**
	 * A new in-memory server whose HeadObject answers take {@code headObjectMillis} longer, as S3's own first-byte
	 * latency does, through S3Proxy's latency middleware. For benchmarks: it sleeps rather than burns CPU.
	 */
	public static S3ProxyServer withHeadObjectLatency(long headObjectMillis) {
		try {
			Class<?> latency = Class.forName("org.gaul.s3proxy.middleware.LatencyBlobStore");
			Method factory = latency.getDeclaredMethod("newLatencyBlobStore", BlobStore.class, Map.class, Map.class);
			factory.setAccessible(true);
			BlobStore store = (BlobStore) factory.invoke(null, new TransientNio2BlobStore(),
					Map.of("metadata", headObjectMillis), Map.of());
			S3ProxyServer server = new S3ProxyServer(store);
			server.start();
			return server;
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("S3Proxy's LatencyBlobStore is not available", ex);
		}
	}

	/**
	 * A new in-memory server of its own, started: for a test that changes what a bucket is (its versioning, say),
	 * which the tests sharing {@link #shared()} must not see. Stop it when done.
	 */
	public static S3ProxyServer started() {
		S3ProxyServer server = new S3ProxyServer(new TransientNio2BlobStore());
		server.start();
		return server;
	}

	/** The server of this JVM, started on first use. */
	public static synchronized S3ProxyServer shared() {
		if (shared == null) {
			shared = new S3ProxyServer(new TransientNio2BlobStore());
			shared.start();
			Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
		}
		return shared;
	}

	/** Starts the server, on the port it had before if it ran already. */
	public synchronized void start() {
		if (this.proxy != null) {
			return;
		}
		try {
			S3Proxy proxy = S3Proxy.builder()
				.blobStore(this.blobStore)
				.endpoint(URI.create("http://127.0.0.1:" + this.port))
				.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
				.stopTimeout(0)
				.build();
			proxy.start();
			while (!"STARTED".equals(proxy.getState())) {
				Thread.sleep(10);
			}
			this.port = proxy.getPort();
			this.proxy = proxy;
		}
		catch (Exception ex) {
			throw new IllegalStateException("S3Proxy did not start", ex);
		}
	}

	/** Stops the server; requests fail until {@link #start()}. */
	public synchronized void stop() {
		if (this.proxy == null) {
			return;
		}
		try {
			this.proxy.stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException("S3Proxy did not stop", ex);
		}
		this.proxy = null;
	}

	/**
	 * Stores objects straight into the server's store, past HTTP, each holding its key as text: for tests that need
	 * thousands of objects, which uploads would take seconds to send.
	 */
	public void putObjects(String bucket, Collection<String> keys) {
		if (!this.blobStore.containerExists(bucket)) {
			this.blobStore.createContainer(bucket);
		}
		for (String key : keys) {
			byte[] content = key.getBytes(StandardCharsets.UTF_8);
			this.blobStore.putBlob(
					PutObjectRequest.builder().bucket(bucket).key(key).contentLength((long) content.length).build(),
					new ByteArrayInputStream(content));
		}
	}

	/** Points Spring Cloud AWS's S3 client at this server, path-style, with its region and credentials. */
	public void registerEndpoint(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.s3.endpoint", () -> endpoint().toString());
		registry.add("spring.cloud.aws.s3.path-style-access-enabled", () -> "true");
		registry.add("spring.cloud.aws.region.static", () -> "us-east-1");
		registry.add("spring.cloud.aws.credentials.access-key", () -> ACCESS_KEY);
		registry.add("spring.cloud.aws.credentials.secret-key", () -> SECRET_KEY);
	}

	/** The endpoint clients connect to. */
	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

}

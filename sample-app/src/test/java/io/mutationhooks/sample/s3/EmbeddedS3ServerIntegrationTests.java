package io.mutationhooks.sample.s3;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The embedded S3 server keeps its buckets and objects on disk, so the sample starts again on its own data. */
class EmbeddedS3ServerIntegrationTests {

	@TempDir
	Path dataDir;

	EmbeddedS3Server server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	@Test
	void startingAgainOnTheSameDataKeepsBucketsAndObjects() {
		this.server = startedServer(0);
		try (S3Client s3 = clientOf(this.server)) {
			s3.putObject(request -> request.bucket("avatars").key("a8m.png"), RequestBody.fromString("png"));
		}
		this.server.stop();

		this.server = startedServer(0);

		try (S3Client s3 = clientOf(this.server)) {
			assertThat(s3.listObjectsV2(request -> request.bucket("avatars")).contents())
				.extracting(object -> object.key())
				.containsExactly("a8m.png");
			assertThat(s3.getObjectAsBytes(request -> request.bucket("avatars").key("a8m.png")).asUtf8String())
				.isEqualTo("png");
		}
	}

	@Test
	void aPortInUseFailsWithAMessageNamingTheProperty() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			EmbeddedS3Server blocked = new EmbeddedS3Server(properties(taken.getLocalPort()));

			assertThatIllegalStateException().isThrownBy(blocked::start)
				.withMessageStartingWith("The embedded S3 server could not start on 127.0.0.1:" + taken.getLocalPort()
						+ " (set sample.embedded-s3.port to a free port, or 0 for any)");
		}
	}

	private EmbeddedS3Server startedServer(int port) {
		EmbeddedS3Server server = new EmbeddedS3Server(properties(port));
		server.start();
		server.createBuckets(List.of("avatars"));
		return server;
	}

	private EmbeddedS3Properties properties(int port) {
		return new EmbeddedS3Properties(true, port, this.dataDir.toString(), "access", "secret");
	}

	private static S3Client clientOf(EmbeddedS3Server server) {
		return S3Client.builder()
			.endpointOverride(server.endpoint())
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
			.build();
	}

}

package io.mutationhooks.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback server that accepts connections and never reads or answers them: S3 hanging. */
final class SilentS3Server implements AutoCloseable {

	private final ServerSocket socket;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private SilentS3Server(ServerSocket socket) {
		this.socket = socket;
	}

	static SilentS3Server start() {
		try {
			SilentS3Server server = new SilentS3Server(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
			Thread acceptor = new Thread(server::acceptUntilClosed, "silent-s3");
			acceptor.setDaemon(true);
			acceptor.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException("the silent server did not start", ex);
		}
	}

	int port() {
		return this.socket.getLocalPort();
	}

	URI endpoint() {
		return URI.create("http://127.0.0.1:" + port());
	}

	/** How many connections it accepted so far. */
	int accepted() {
		return this.accepted.size();
	}

	private void acceptUntilClosed() {
		try {
			while (true) {
				this.accepted.add(this.socket.accept());
			}
		}
		catch (IOException ex) {
			// closed
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
			for (Socket connection : this.accepted) {
				connection.close();
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

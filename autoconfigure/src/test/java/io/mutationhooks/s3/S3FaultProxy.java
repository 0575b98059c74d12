package io.mutationhooks.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback proxy in front of an S3 server that plays faults of a real one on the wire: stopped, it refuses
 * connections (S3 out of reach); told to, it answers DeleteObjects, HeadObject of given objects, or every request
 * with S3's {@code 500 InternalError}, or leaves every request unanswered (S3 hanging) until told to stop. Every other
 * request passes byte for byte, so signatures made for the proxy's address still hold at the server.
 */
final class S3FaultProxy implements AutoCloseable {

	private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final int MAX_HEAD_BYTES = 64 * 1024;

	private static final byte[] INTERNAL_ERROR = internalError("");

	/** An answer after which the proxy closes the connection, as a server does that did not read the request body. */
	private static final byte[] INTERNAL_ERROR_CLOSING = internalError("Connection: close\r\n");

	private static final byte[] KEY_ELEMENT = "<Key>".getBytes(StandardCharsets.US_ASCII);

	/** A HEAD answer has no body. */
	private static final byte[] HEAD_INTERNAL_ERROR = ("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
			+ "x-amz-request-id: s3-fault-proxy\r\n\r\n")
		.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] HEAD_INTERNAL_ERROR_CLOSING = ("HTTP/1.1 500 Internal Server Error\r\n"
			+ "Content-Length: 0\r\nConnection: close\r\nx-amz-request-id: s3-fault-proxy\r\n\r\n")
		.getBytes(StandardCharsets.US_ASCII);

	private final InetSocketAddress server;

	private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger deleteObjectsFailed = new AtomicInteger();

	private volatile boolean failDeleteObjects;

	private final Set<String> failedHeadObjects = ConcurrentHashMap.newKeySet();

	private volatile boolean failEverything;

	private volatile boolean hang;

	private final Object hangOver = new Object();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicInteger hung = new AtomicInteger();

	private final AtomicLong keysToDelete = new AtomicLong();

	private ServerSocket listener;

	private int port;

	private S3FaultProxy(URI server) {
		this.server = new InetSocketAddress(server.getHost(), server.getPort());
	}

	/** A started proxy in front of the server at {@code endpoint}, passing everything through. */
	static S3FaultProxy inFrontOf(URI endpoint) {
		S3FaultProxy proxy = new S3FaultProxy(endpoint);
		proxy.start();
		return proxy;
	}

	/** Accepts connections again, on the port it had before if it ran already. */
	synchronized void start() {
		if (this.listener != null) {
			return;
		}
		try {
			ServerSocket listener = new ServerSocket();
			listener.setReuseAddress(true);
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
			this.port = listener.getLocalPort();
			this.listener = listener;
			daemon("s3-fault-proxy", () -> acceptUntilClosed(listener));
		}
		catch (IOException ex) {
			throw new IllegalStateException("The S3 fault proxy could not listen on port " + this.port, ex);
		}
	}

	/** Closes the port and every open connection: S3 is out of reach until {@link #start()}. */
	synchronized void stop() {
		if (this.listener == null) {
			return;
		}
		closeQuietly(this.listener);
		this.listener = null;
		this.connections.forEach(S3FaultProxy::closeQuietly);
		this.connections.clear();
	}

	/** Whether DeleteObjects is answered with 500 InternalError instead of reaching the server. */
	void failDeleteObjects(boolean fail) {
		this.failDeleteObjects = fail;
	}

	/**
	 * Answers every HeadObject of {@code key} in {@code bucket}, addressed path-style, with 500 InternalError.
	 * @param key a key that URLs carry as it is: letters, digits and {@code /.-_}
	 */
	void failHeadObject(String bucket, String key) {
		this.failedHeadObjects.add("/" + bucket + "/" + key);
	}

	/**
	 * Whether every request is answered with 500 InternalError (and its connection closed) instead of reaching the
	 * server.
	 */
	void failEverything(boolean fail) {
		this.failEverything = fail;
	}

	/**
	 * Whether requests go unanswered: from now on each request is read and held, neither passed on nor answered,
	 * until this is set to false, when its connection is closed. The client's own timeouts end its wait sooner.
	 */
	void hang(boolean hang) {
		synchronized (this.hangOver) {
			this.hang = hang;
			this.hangOver.notifyAll();
		}
	}

	/** How many requests {@link #failEverything(boolean)} answered with 500 so far. */
	int failed() {
		return this.failed.get();
	}

	/** How many requests {@link #hang(boolean)} held unanswered so far. */
	int hung() {
		return this.hung.get();
	}

	/** How many keys the DeleteObjects requests passed on to the server named so far. */
	long keysToDelete() {
		return this.keysToDelete.get();
	}

	/** How many DeleteObjects requests were answered with 500 so far. */
	int deleteObjectsFailed() {
		return this.deleteObjectsFailed.get();
	}

	URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	@Override
	public void close() {
		hang(false);
		stop();
	}

	private void acceptUntilClosed(ServerSocket listener) {
		try {
			while (true) {
				Socket client = listener.accept();
				this.connections.add(client);
				daemon("s3-fault-proxy-connection", () -> serve(client));
			}
		}
		catch (IOException ex) {
			// stopped
		}
	}

	/** Passes the server's answers back as they come, and the client's requests on one by one, but the failed ones. */
	private void serve(Socket client) {
		try (client; Socket server = new Socket()) {
			this.connections.add(server);
			server.connect(this.server);
			OutputStream toClient = client.getOutputStream();
			daemon("s3-fault-proxy-answers", () -> copyUntilClosed(server, client, toClient));
			InputStream fromClient = new BufferedInputStream(client.getInputStream());
			OutputStream toServer = server.getOutputStream();
			for (byte[] head = readHead(fromClient); head != null; head = readHead(fromClient)) {
				RequestHead request = RequestHead.parse(head);
				if (this.hang) {
					this.hung.incrementAndGet();
					awaitHangOver();
					return;
				}
				if (this.failEverything) {
					this.failed.incrementAndGet();
					// A client waiting for 100 Continue sends no body: the final answer comes instead.
					if (!request.expectsContinue()) {
						fromClient.skipNBytes(request.contentLength());
					}
					answer(toClient, request.method().equals("HEAD") ? HEAD_INTERNAL_ERROR_CLOSING : INTERNAL_ERROR_CLOSING);
					return;
				}
				if (this.failDeleteObjects && request.isDeleteObjects()) {
					fromClient.skipNBytes(request.contentLength());
					this.deleteObjectsFailed.incrementAndGet();
					answer(toClient, INTERNAL_ERROR);
				}
				else if (request.method().equals("HEAD") && this.failedHeadObjects.contains(request.path())) {
					fromClient.skipNBytes(request.contentLength());
					answer(toClient, HEAD_INTERNAL_ERROR);
				}
				else if (request.isDeleteObjects()) {
					byte[] body = fromClient.readNBytes(Math.toIntExact(request.contentLength()));
					this.keysToDelete.addAndGet(occurrences(body, KEY_ELEMENT));
					toServer.write(head);
					toServer.write(body);
					toServer.flush();
				}
				else {
					toServer.write(head);
					copy(fromClient, toServer, request.contentLength());
					toServer.flush();
				}
			}
		}
		catch (IOException ex) {
			// one side closed the connection, or the proxy stopped
		}
		finally {
			this.connections.remove(client);
		}
	}

	private void awaitHangOver() throws IOException {
		synchronized (this.hangOver) {
			while (this.hang) {
				try {
					this.hangOver.wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IOException("interrupted while hanging", ex);
				}
			}
		}
	}

	private static int occurrences(byte[] text, byte[] part) {
		int count = 0;
		outer: for (int i = 0; i + part.length <= text.length; i++) {
			for (int j = 0; j < part.length; j++) {
				if (text[i + j] != part[j]) {
					continue outer;
				}
			}
			count++;
		}
		return count;
	}

	private static void answer(OutputStream toClient, byte[] answer) throws IOException {
		synchronized (toClient) {
			toClient.write(answer);
			toClient.flush();
		}
	}

	private void copyUntilClosed(Socket server, Socket client, OutputStream toClient) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream fromServer = server.getInputStream()) {
			for (int read = fromServer.read(buffer); read >= 0; read = fromServer.read(buffer)) {
				synchronized (toClient) {
					toClient.write(buffer, 0, read);
					toClient.flush();
				}
			}
		}
		catch (IOException ex) {
			// one side closed the connection, or the proxy stopped
		}
		finally {
			closeQuietly(client);
			this.connections.remove(server);
		}
	}

	/** The bytes of a request line and headers, up to and with the blank line; null at the end of the stream. */
	private static byte[] readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		for (int next = in.read(); next >= 0; next = in.read()) {
			head.write(next);
			matched = next == HEAD_END[matched] ? matched + 1 : (next == HEAD_END[0] ? 1 : 0);
			if (matched == HEAD_END.length) {
				return head.toByteArray();
			}
			if (head.size() > MAX_HEAD_BYTES) {
				throw new IOException("A request head longer than " + MAX_HEAD_BYTES + " bytes");
			}
		}
		if (head.size() > 0) {
			throw new IOException("The connection closed in the middle of a request head");
		}
		return null;
	}

	private static void copy(InputStream in, OutputStream out, long length) throws IOException {
		byte[] buffer = new byte[16 * 1024];
		for (long left = length; left > 0;) {
			int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
			if (read < 0) {
				throw new IOException("The connection closed in the middle of a request body");
			}
			out.write(buffer, 0, read);
			left -= read;
		}
	}

	private static byte[] internalError(String extraHeaders) {
		byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>"
				+ "<Message>We encountered an internal error. Please try again.</Message>"
				+ "<RequestId>s3-fault-proxy</RequestId></Error>")
			.getBytes(StandardCharsets.UTF_8);
		byte[] head = ("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/xml\r\nContent-Length: "
				+ body.length + "\r\n" + extraHeaders + "x-amz-request-id: s3-fault-proxy\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		byte[] answer = Arrays.copyOf(head, head.length + body.length);
		System.arraycopy(body, 0, answer, head.length, body.length);
		return answer;
	}

	private static void daemon(String name, Runnable work) {
		Thread thread = new Thread(work, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closing anyway
		}
	}

	/** What the proxy needs of a request: whether it is DeleteObjects, and how long its body is. */
	private record RequestHead(String method, String target, long contentLength, boolean expectsContinue) {

		static RequestHead parse(byte[] head) throws IOException {
			String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
			String[] requestLine = lines[0].split(" ");
			if (requestLine.length != 3) {
				throw new IOException("Not an HTTP request line: " + lines[0]);
			}
			long contentLength = 0;
			boolean expectsContinue = false;
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				String name = colon < 0 ? "" : lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
				String value = colon < 0 ? "" : lines[i].substring(colon + 1).trim();
				if (name.equals("content-length")) {
					contentLength = Long.parseLong(value);
				}
				else if (name.equals("expect")) {
					expectsContinue = value.equalsIgnoreCase("100-continue");
				}
				else if (name.equals("transfer-encoding")) {
					// The S3 client sends every body with its length; reading chunks is not worth the code here.
					throw new IOException("Transfer-Encoding " + value + " is not supported by the S3 fault proxy");
				}
			}
			return new RequestHead(requestLine[0], requestLine[1], contentLength, expectsContinue);
		}

		/** The target without its query. */
		String path() {
			int query = this.target.indexOf('?');
			return query < 0 ? this.target : this.target.substring(0, query);
		}

		/** DeleteObjects is {@code POST /bucket?delete}. */
		boolean isDeleteObjects() {
			int query = this.target.indexOf('?');
			return this.method.equals("POST") && query >= 0 && Arrays.stream(this.target.substring(query + 1).split("&"))
				.anyMatch(parameter -> parameter.equals("delete") || parameter.startsWith("delete="));
		}

	}

}

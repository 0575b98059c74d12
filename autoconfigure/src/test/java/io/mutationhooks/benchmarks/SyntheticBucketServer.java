package io.mutationhooks.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An S3 endpoint on loopback that serves one bucket of N objects, {@link SweepBenchmarkApplication#key} 0 to N-1,
 * with a bit per object, and answers only what a sweep sends: ListObjectsV2 (path style, {@code start-after},
 * {@code max-keys}) and DeleteObjects. It computes each page from the key numbers, so a page costs the same whether the
 * bucket holds 100,000 objects or 1,000,000. For the sweep benchmarks: S3Proxy's stores list by walking every object
 * of the bucket for each page, so a pass over N objects takes time in N squared (a page of 1000 took 0.2 s at 10,000
 * objects and 0.6 s at 40,000), too slow for a bucket of a million. It does not check signatures (the client still
 * signs), and every object is two hours old, 52 bytes.
 */
final class SyntheticBucketServer implements AutoCloseable {

	private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");

	private static final String LAST_MODIFIED = java.time.Instant.now()
		.minus(java.time.Duration.ofHours(2))
		.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
		.toString();

	private final int objects;

	private final BitSet present;

	private final HttpServer server;

	private final ExecutorService threads = Executors.newFixedThreadPool(4);

	final AtomicLong lists = new AtomicLong();

	final AtomicLong deletes = new AtomicLong();

	SyntheticBucketServer(int objects) throws IOException {
		this.objects = objects;
		this.present = new BitSet(objects);
		this.present.set(0, objects);
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.threads);
		this.server.start();
	}

	URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	/** Objects {@code from} to {@code to} (exclusive) every {@code step} are there again. */
	void put(int from, int to, int step) {
		synchronized (this.present) {
			for (int n = from; n < to; n += step) {
				this.present.set(n);
			}
		}
	}

	int count() {
		synchronized (this.present) {
			return this.present.cardinality();
		}
	}

	boolean isPresent(int n) {
		synchronized (this.present) {
			return this.present.get(n);
		}
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getRawPath();
			Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
			String bucket = "/" + SweepBenchmarkApplication.BUCKET;
			byte[] body = exchange.getRequestBody().readAllBytes();
			if (exchange.getRequestMethod().equals("GET") && (path.equals(bucket) || path.equals(bucket + "/"))
					&& "2".equals(query.get("list-type"))) {
				this.lists.incrementAndGet();
				reply(exchange, 200, list(query));
			}
			else if (exchange.getRequestMethod().equals("POST") && (path.equals(bucket) || path.equals(bucket + "/"))
					&& query.containsKey("delete")) {
				this.deletes.incrementAndGet();
				reply(exchange, 200, delete(new String(body, StandardCharsets.UTF_8)));
			}
			else {
				reply(exchange, 501, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NotImplemented</Code>"
						+ "<Message>" + exchange.getRequestMethod() + " " + path + "</Message></Error>");
			}
		}
	}

	private String list(Map<String, String> query) {
		String prefix = query.getOrDefault("prefix", "");
		String startAfter = query.getOrDefault("start-after", "");
		int maxKeys = Math.min(1000, Integer.parseInt(query.getOrDefault("max-keys", "1000")));
		StringBuilder contents = new StringBuilder(maxKeys * 260);
		int count = 0;
		boolean truncated = false;
		if (SweepBenchmarkApplication.PREFIX.startsWith(prefix)) {
			synchronized (this.present) {
				int n = this.present.nextSetBit(firstAfter(startAfter));
				while (n >= 0 && n < this.objects) {
					if (count == maxKeys) {
						truncated = true;
						break;
					}
					contents.append("<Contents><Key>").append(SweepBenchmarkApplication.key(n))
						.append("</Key><LastModified>").append(LAST_MODIFIED)
						.append("</LastModified><ETag>&quot;").append(String.format("%032x", n))
						.append("&quot;</ETag><Size>52</Size><StorageClass>STANDARD</StorageClass></Contents>");
					count++;
					n = this.present.nextSetBit(n + 1);
				}
			}
		}
		return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
				+ "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>"
				+ SweepBenchmarkApplication.BUCKET + "</Name><Prefix>" + prefix + "</Prefix>"
				+ (startAfter.isEmpty() ? "" : "<StartAfter>" + startAfter + "</StartAfter>") + "<KeyCount>" + count
				+ "</KeyCount><MaxKeys>" + maxKeys + "</MaxKeys><IsTruncated>" + truncated + "</IsTruncated>"
				+ contents + "</ListBucketResult>";
	}

	/** The number of the first key after {@code startAfter}: keys sort by their zero-padded numbers. */
	private static int firstAfter(String startAfter) {
		String head = SweepBenchmarkApplication.PREFIX + "avatar-";
		if (startAfter.compareTo(head) < 0) {
			return 0;
		}
		if (!startAfter.startsWith(head)) {
			return Integer.MAX_VALUE;
		}
		int n = Integer.parseInt(startAfter, head.length(), head.length() + 7, 10);
		return startAfter.compareTo(SweepBenchmarkApplication.key(n)) >= 0 ? n + 1 : n;
	}

	private String delete(String request) {
		boolean quiet = request.contains("<Quiet>true</Quiet>");
		StringBuilder result = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
				+ "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
		Matcher keys = KEY.matcher(request);
		String head = SweepBenchmarkApplication.PREFIX + "avatar-";
		while (keys.find()) {
			String key = keys.group(1);
			if (key.startsWith(head) && key.length() == SweepBenchmarkApplication.key(0).length()) {
				int n = Integer.parseInt(key, head.length(), head.length() + 7, 10);
				if (n < this.objects && key.equals(SweepBenchmarkApplication.key(n))) {
					synchronized (this.present) {
						this.present.clear(n);
					}
				}
			}
			if (!quiet) {
				result.append("<Deleted><Key>").append(key).append("</Key></Deleted>");
			}
		}
		return result.append("</DeleteResult>").toString();
	}

	private static Map<String, String> query(String raw) {
		Map<String, String> query = new HashMap<>();
		if (raw == null) {
			return query;
		}
		for (String pair : raw.split("&")) {
			int equals = pair.indexOf('=');
			String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
			String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
			query.put(name, value);
		}
		return query;
	}

	private static void reply(HttpExchange exchange, int status, String xml) throws IOException {
		byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/xml");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.threads.shutdownNow();
	}

}

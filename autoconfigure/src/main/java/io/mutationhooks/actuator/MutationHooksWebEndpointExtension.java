package io.mutationhooks.actuator;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import io.mutationhooks.s3.sweep.SweepAlreadyRunningException;

/**
 * The {@code mutationhooks} endpoint over HTTP: what the endpoint refuses comes back with its status and a message
 * saying why, 400 for a request that is not one (an unknown status or sweep mode), 404 for what is not there (an
 * effect that is not parked, a bucket that is not swept), 409 for a bucket another run is sweeping.
 */
@EndpointWebExtension(endpoint = MutationHooksEndpoint.class)
public class MutationHooksWebEndpointExtension {

	private final MutationHooksEndpoint endpoint;

	public MutationHooksWebEndpointExtension(MutationHooksEndpoint endpoint) {
		this.endpoint = Objects.requireNonNull(endpoint, "endpoint must not be null");
	}

	/** See {@link MutationHooksEndpoint#effects(String, String, Integer, Integer)}. */
	@ReadOperation
	public WebEndpointResponse<OperationResponseBody> effects(@Selector String part, @Nullable String status,
			@Nullable Integer page, @Nullable Integer size) {
		return respond(() -> this.endpoint.effects(part, status, page, size));
	}

	/** See {@link MutationHooksEndpoint#bucket(String, String)}. */
	@ReadOperation
	public WebEndpointResponse<OperationResponseBody> bucket(@Selector String part, @Selector String bucket) {
		return respond(() -> this.endpoint.bucket(part, bucket));
	}

	/** See {@link MutationHooksEndpoint#run(String, String, String)}. */
	@WriteOperation
	public WebEndpointResponse<OperationResponseBody> run(@Selector String part, @Selector String name,
			@Nullable String mode) {
		return respond(() -> this.endpoint.run(part, name, mode));
	}

	/** See {@link MutationHooksEndpoint#discard(String, String)}. */
	@DeleteOperation
	public WebEndpointResponse<OperationResponseBody> discard(@Selector String part, @Selector String name) {
		return respond(() -> this.endpoint.discard(part, name));
	}

	private static WebEndpointResponse<OperationResponseBody> respond(Supplier<OperationResponseBody> operation) {
		try {
			return new WebEndpointResponse<>(operation.get());
		}
		catch (NoSuchElementException ex) {
			return error(WebEndpointResponse.STATUS_NOT_FOUND, "Not Found", ex);
		}
		catch (SweepAlreadyRunningException ex) {
			return error(409, "Conflict", ex);
		}
		catch (IllegalArgumentException ex) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", ex);
		}
	}

	private static WebEndpointResponse<OperationResponseBody> error(int status, String error, RuntimeException ex) {
		return new WebEndpointResponse<>(new Problem(status, error, ex.getMessage()), status);
	}

	/**
	 * Why a request was refused.
	 * @param status the HTTP status
	 * @param error its reason phrase
	 * @param message what was wrong, and what would do
	 */
	public record Problem(int status, String error, String message) implements OperationResponseBody {

	}

}

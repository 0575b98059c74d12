package io.mutationhooks.s3;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;

/** An SDK interceptor told of each DeleteObjects request that S3 answered, with the answer. */
public interface DeleteObjectsObserver extends ExecutionInterceptor {

	@Override
	default void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		if (context.request() instanceof DeleteObjectsRequest request
				&& context.response() instanceof DeleteObjectsResponse response) {
			answered(request, response);
		}
	}

	/** S3 answered {@code request} with {@code response}, which lists the keys it refused. */
	void answered(DeleteObjectsRequest request, DeleteObjectsResponse response);

}

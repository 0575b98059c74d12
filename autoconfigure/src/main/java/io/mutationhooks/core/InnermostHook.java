package io.mutationhooks.core;

import io.mutationhooks.Hook;

/**
 * A hook that must see exactly what is written, such as the S3 sync's existence check: the registry runs it after
 * every other hook of the entity type, also after those added later with {@code use}.
 */
public interface InnermostHook extends Hook {

}

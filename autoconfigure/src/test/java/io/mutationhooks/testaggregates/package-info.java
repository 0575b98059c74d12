/**
 * Aggregates holding S3 references inside them, apart from {@code testapp} so that the start-up report tests, which
 * scan {@code testapp}'s entities, list what they always listed. {@code TestApplication} adds this package.
 */
package io.mutationhooks.testaggregates;

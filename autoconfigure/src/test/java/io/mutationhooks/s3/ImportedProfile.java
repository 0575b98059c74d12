package io.mutationhooks.s3;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A profile imported from an older system, whose avatar column holds whatever that system wrote: references far
 * longer than a key can be. Its table is created by the tests that use it.
 */
@Table("imported_profile")
public record ImportedProfile(@Id Long id, @S3Reference(bucket = "avatars") String avatar) {

}

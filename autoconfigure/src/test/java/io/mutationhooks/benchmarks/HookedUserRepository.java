package io.mutationhooks.benchmarks;

import org.springframework.data.repository.ListCrudRepository;

/** Repository of {@link HookedUser}. */
public interface HookedUserRepository extends ListCrudRepository<HookedUser, Long> {

}

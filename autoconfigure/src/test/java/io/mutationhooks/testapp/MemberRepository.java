package io.mutationhooks.testapp;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

public interface MemberRepository extends ListCrudRepository<Member, Long> {

	void deleteByName(String name);

	/**
	 * Runs the named query of its name (META-INF/jdbc-named-queries.properties), which deletes the member named
	 * {@code prefix} only, not every name starting with it as the name derives.
	 */
	@Modifying
	int deleteByNameStartingWith(@Param("prefix") String prefix);

}

package io.mutationhooks.testapp;

import org.springframework.data.repository.ListCrudRepository;

public interface MemberRepository extends ListCrudRepository<Member, Long> {

	void deleteByName(String name);

}

package io.mutationhooks.testapp;

import org.springframework.data.repository.ListCrudRepository;

public interface PostRepository extends ListCrudRepository<Post, Long> {

	void deleteByTitle(String title);

}

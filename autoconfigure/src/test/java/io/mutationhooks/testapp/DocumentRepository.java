package io.mutationhooks.testapp;

import org.springframework.data.repository.ListCrudRepository;

public interface DocumentRepository extends ListCrudRepository<Document, Long> {

}

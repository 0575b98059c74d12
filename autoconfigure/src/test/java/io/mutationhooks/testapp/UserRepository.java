package io.mutationhooks.testapp;

import java.util.List;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

public interface UserRepository extends ListCrudRepository<User, Long> {

	List<User> findByName(String name);

	void deleteByName(String name);

	@Modifying
	void removeByEmail(String email);

	long removeByName(String name);

	boolean deleteByEmailStartingWith(String prefix);

	@Modifying
	@Query("UPDATE app_user SET email = :email WHERE name = :name")
	int updateEmailByName(@Param("name") String name, @Param("email") String email);

	@Modifying
	@Query("INSERT INTO app_user (name, email) VALUES (:name, :email)")
	void insertByQuery(@Param("name") String name, @Param("email") String email);

	@Modifying
	@Query("DELETE FROM app_user WHERE email = :email")
	int deleteByEmailQuery(@Param("email") String email);

}

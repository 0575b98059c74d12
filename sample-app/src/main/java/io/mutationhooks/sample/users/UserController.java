package io.mutationhooks.sample.users;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Creates, lists and deletes users; there is no update, and the hooks would refuse one. What the starter refuses
 * becomes a problem response in {@link MutationProblems}.
 */
@RestController
@RequestMapping("/users")
class UserController {

	private final UserRepository users;

	UserController(UserRepository users) {
		this.users = users;
	}

	@GetMapping
	List<User> list() {
		return this.users.findAll(Sort.by("id"));
	}

	@GetMapping("/{id}")
	User get(@PathVariable long id) {
		return this.users.findById(id).orElseThrow(() -> notFound(id));
	}

	@PostMapping
	ResponseEntity<User> create(@Valid @RequestBody CreateUserRequest request, UriComponentsBuilder uris) {
		User created = this.users.save(new User(null, request.name(), request.avatarUrl()));
		URI location = uris.path("/users/{id}").build(created.id());
		return ResponseEntity.created(location).body(created);
	}

	/** Deletes the user; the starter deletes the avatar from the bucket after commit, in the background. */
	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable long id) {
		if (!this.users.existsById(id)) {
			throw notFound(id);
		}
		this.users.deleteById(id);
		return ResponseEntity.noContent().build();
	}

	private static ResponseStatusException notFound(long id) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no user with id " + id + ".");
	}

}

package io.mutationhooks.quickstart;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application of the README's quick start, as a user would write it. */
@SpringBootApplication
public class QuickStartApplication {

}

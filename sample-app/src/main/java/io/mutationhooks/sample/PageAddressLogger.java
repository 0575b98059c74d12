package io.mutationhooks.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Logs the address of the sample's web page once the app is ready, with the port it really listens on. */
@Component
class PageAddressLogger {

	private static final Logger logger = LoggerFactory.getLogger(PageAddressLogger.class);

	@EventListener
	void logPageAddress(ApplicationReadyEvent event) {
		String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port");
		if (port != null) {
			logger.info("The sample is ready: open http://localhost:{}/ in a browser", port);
		}
	}

}

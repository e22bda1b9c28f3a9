package org.syncproducts.source.lookup;

import org.syncproducts.config.ConfigNode;

/** Builds one type of lookup source from its config section, checking every option it is given. */
@FunctionalInterface
public interface LookupSourceFactory {
    /**
     * @param name    the source's name in config
     * @param options its config section (including {@code type}); missing for a source configured
     *                from the environment alone
     */
    LookupSource create(String name, ConfigNode options, LookupContext context);
}

/** Shared time and control-thread resources ({@link io.tickstock.core.resources.TickStockResources}). */
package io.tickstock.core.resources;

package io.tickstock.feed.massive;

import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedListener;

/** Passes statuses and errors on to a {@link RecordingListener}; a subclass decides what an event does. */
abstract class ForwardingListener implements FeedListener {
    final RecordingListener delegate;

    ForwardingListener(RecordingListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onStatus(ConnectionStatus status, String message) {
        delegate.onStatus(status, message);
    }

    @Override
    public void onError(String message) {
        delegate.onError(message);
    }
}

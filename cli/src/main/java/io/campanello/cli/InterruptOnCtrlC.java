package io.campanello.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While open, Ctrl-C (the JVM's shutdown) interrupts the thread that opened it and gives that thread a moment to say
 * what happened before the JVM ends. Nothing is asked: waiting just stops.
 */
final class InterruptOnCtrlC implements AutoCloseable {

    private static final long GRACE_SECONDS = 2;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private InterruptOnCtrlC(Thread waiter) {
        this.hook = new Thread(
                () -> {
                    waiter.interrupt();
                    try {
                        finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "campanello-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static InterruptOnCtrlC forCurrentThread() {
        return new InterruptOnCtrlC(Thread.currentThread());
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running and now lets it end.
        }
    }
}

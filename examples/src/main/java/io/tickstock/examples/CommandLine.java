package io.tickstock.examples;

import java.io.PrintStream;

/**
 * What every example does with its command line: {@code --help} (or {@code -h}) prints the usage and
 * exits 0; an unknown or malformed argument prints what is wrong and the usage on stderr and exits 2,
 * before anything is started.
 */
public final class CommandLine {
    /** Exit code of a command line the example does not accept. */
    public static final int USAGE_ERROR = 2;

    private CommandLine() {
    }

    /** An argument the example does not accept; the message says which and why. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    /** {@code --help} or {@code -h} was given. */
    public static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public HelpRequested() {
            super("help requested", null, false, false);
        }
    }

    /** An example's body; it parses its arguments first, before starting anything. */
    @FunctionalInterface
    public interface Program {
        void run() throws Exception;
    }

    /** {@code Usage: java -cp examples/target/tickstock-examples-all.jar <main class> <synopsis>}. */
    public static String usage(Class<?> main, String synopsis) {
        return "Usage: java -cp examples/target/tickstock-examples-all.jar " + main.getName()
                + (synopsis.isEmpty() ? "" : " " + synopsis);
    }

    /** Throws {@link HelpRequested} when {@code arg} asks for help. */
    public static void checkHelp(String arg) {
        if ("--help".equals(arg) || "-h".equals(arg)) {
            throw new HelpRequested();
        }
    }

    /** Runs {@code program}; returns the process exit code (0, or {@link #USAGE_ERROR}). */
    public static int run(String usage, Program program, PrintStream out, PrintStream err) throws Exception {
        try {
            program.run();
            return 0;
        } catch (HelpRequested h) {
            out.println(usage);
            return 0;
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println(usage);
            return USAGE_ERROR;
        }
    }

    /** For {@code main}: runs {@code program} and exits with its code. */
    public static void exit(String usage, Program program) throws Exception {
        int code = run(usage, program, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }
}

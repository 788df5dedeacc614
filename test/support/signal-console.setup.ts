import { redactSignalLibraryConsole } from '../../libs/observability/src/signal-library-console';

// Baileys and the in-process simulator print whole Signal session records at every session change.
redactSignalLibraryConsole();

// The coordinator and worker services.

# Volunteer profiles, training modules and records arrive with the training work.

"""The service concept as onboarding handbook: per concept and per staff role, as a page, a PDF and a pocket card."""

"""The names of roles and interests, which several storage modules need (storage/members.py owns the members;
these live apart so that a module members.py uses can use them too, without an import cycle)."""

ORGANISER = "organiser"
ACTIVITIES, HELPING, SERVICES = "activities", "helping", "services"
INTERESTS = (ACTIVITIES, HELPING, SERVICES)

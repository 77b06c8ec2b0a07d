"""``trainer_required``: the one gate in front of every trainer page."""

import functools

from flask_login import current_user, login_required

from ..exceptions import DomainError
from ..models import Role


def trainer_required(view):
    @functools.wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role not in (Role.TRAINER, Role.ADMIN):
            raise DomainError(403, "forbidden", "These pages are for trainers. Ask an admin "
                                                "to give your account the trainer role.")
        return view(*args, **kwargs)
    return wrapper

"""factory_boy factories for the organisation."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model

from townships.models import (
    County,
    Department,
    Membership,
    Role,
    Township,
    TownshipGroup,
)

PASSWORD = "correct-horse-battery-9"


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"c{n}")
    name = factory.Sequence(lambda n: f"第{n}县")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TownshipGroup

    county = factory.SubFactory(CountyFactory)
    code = factory.Sequence(lambda n: f"g{n}")
    name = factory.Sequence(lambda n: f"类别{n}")


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    # Not T01…: those are the worked example's codes, imported beside factories.
    code = factory.Sequence(lambda n: f"F{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}镇")
    group = factory.LazyAttribute(lambda o: GroupFactory(county=o.county))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    county = factory.SubFactory(CountyFactory)
    code = factory.Sequence(lambda n: f"d{n}")
    name = factory.Sequence(lambda n: f"县第{n}局")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")

    @factory.post_generation
    def password(obj: Any, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()


def member(
    role: Role,
    *,
    county: County | None = None,
    township: Township | None = None,
    department: Department | None = None,
    **user_kwargs: Any,
) -> Any:
    """A user with a membership of `role`, bound as that role needs."""
    bound = township or department
    county = county or (bound.county if bound else None) or CountyFactory()
    if role == Role.TOWNSHIP and township is None:
        township = TownshipFactory(county=county)
    if role == Role.DEPARTMENT and department is None:
        department = DepartmentFactory(county=county)
    user = UserFactory(**user_kwargs)
    Membership.objects.create(
        user=user,
        county=county,
        role=role,
        township=township if role == Role.TOWNSHIP else None,
        department=department if role == Role.DEPARTMENT else None,
    )
    return user

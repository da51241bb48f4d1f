"""Each child seen at a contact, and the team's phone number.

contact_children_seen: which children were seen at a contact and which of them alone (the
visiting standard is per child). Until now a contact had one flag "child seen" and one "seen
alone" for the whole family; the backfill turns them into per-child rows by a rule the practitioner
can check on the Contacts tab:

* a contact without "child seen" gets no rows;
* otherwise the children named in its "who was present" line (a child's first name as a whole
  word, ignoring case) were seen; if the line names none of them, every child of the family was,
  which is what the old flag claimed (the visiting standard counted it for every child);
* "seen alone" goes to the same children (the old flag did not say which one).

The same rule seeds the demo data (domain.timeuse.children_seen_from_flags); it is copied here so
that this migration never changes when the domain does. contacts.child_seen / seen_alone stay, as
"any child seen" / "any child seen alone", written from the new rows.

teams.phone: printed on the family copy of a plan with the worker's name and team.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 10:30:00

"""
import re
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes

# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _seen(
    present: str, children: list[tuple[int, str]], alone: bool
) -> list[tuple[int, str, bool]]:
    if not children:
        return []
    words = {w.casefold() for w in re.findall(r"\w+", present or "")}
    named = [(i, n) for i, n in children if n.split() and n.split()[0].casefold() in words]
    return [(i, n, alone) for i, n in (named or children)]


def upgrade() -> None:
    seen_table = op.create_table('contact_children_seen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('alone', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_children_seen_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_contact_children_seen_member_id_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_children_seen')),
    sa.UniqueConstraint('contact_id', 'member_id', name=op.f('uq_contact_children_seen_contact_id_member_id'))
    )
    with op.batch_alter_table('contact_children_seen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_children_seen_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_children_seen_member_id'), ['member_id'], unique=False)
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), server_default='', nullable=False))

    bind = op.get_bind()
    children: dict[int, list[tuple[int, str]]] = {}
    for member_id, family_id, name in bind.execute(sa.text(
        "SELECT id, family_id, name FROM members WHERE role = 'child' ORDER BY id"
    )):
        children.setdefault(family_id, []).append((member_id, name))
    rows = []
    for contact_id, family_id, present, alone in bind.execute(sa.text(
        "SELECT id, family_id, present, seen_alone FROM contacts WHERE child_seen ORDER BY id"
    )):
        for member_id, name, is_alone in _seen(present, children.get(family_id, []), bool(alone)):
            rows.append({'contact_id': contact_id, 'member_id': member_id, 'name': name,
                         'alone': is_alone})
    if rows:
        op.bulk_insert(seen_table, rows)
    # A contact marked "seen" in a family with no child on record has no child to give the mark
    # to; its family-wide flags are cleared so that they always agree with the per-child rows.
    bind.execute(sa.text(
        "UPDATE contacts SET child_seen = :f, seen_alone = :f WHERE child_seen AND id NOT IN "
        "(SELECT contact_id FROM contact_children_seen)"
    ), {'f': False})


def downgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('phone')
    with op.batch_alter_table('contact_children_seen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_children_seen_member_id'))
        batch_op.drop_index(batch_op.f('ix_contact_children_seen_contact_id'))
    op.drop_table('contact_children_seen')
